namespace StarSync.EndToEnd.Soak;

/// <summary>
/// One look at the whole system. <see cref="Unsettled"/> says what is still moving (sagas in flight, messages
/// queued); <see cref="Violations"/> what breaks an invariant if it stays that way.
/// </summary>
public sealed record SoakCheck(
    IReadOnlyList<string> Unsettled,
    IReadOnlyList<string> Violations,
    int MirrorsChecked,
    int RefsCompared,
    int ProjectsChecked,
    IReadOnlyDictionary<string, int> SagaStates)
{
    public bool Settled => Unsettled.Count == 0;
}
