using StarSync.Emulators;
using StarSync.Testing;

namespace StarSync.EndToEnd.Soak;

/// <summary>
/// One upstream repository as the soak drives it: the emulator's repository, its bare git repository, whether GitHub
/// says it is starred, and every object id its refs ever pointed at. Content is unique per repository (its id and a
/// counter are in every file), so an object id names the repository it belongs to.
/// </summary>
internal sealed class SoakRepository(EmulatedRepository upstream, SourceRepository source)
{
    private readonly HashSet<string> _objects = [];
    private int _changes;

    public EmulatedRepository Upstream { get; } = upstream;

    public SourceRepository Source { get; } = source;

    public long Id => Upstream.Id;

    /// <summary>What GitHub says: starred by the user now.</summary>
    public bool Starred { get; set; }

    public List<string> FormerNames { get; } = [];

    public int NextChange() => ++_changes;

    public string Content(int change) => $"repository {Id} change {change} {Guid.NewGuid():N}\n";

    /// <summary>Adds the ids the refs point at now; call after every change so old tips (archived by StarSync) stay known.</summary>
    public async Task<IReadOnlyDictionary<string, string>> RecordRefsAsync()
    {
        var refs = await Source.GetRefsAsync();
        lock (_objects)
        {
            _objects.UnionWith(refs.Values);
        }
        return refs;
    }

    public bool Holds(string objectId)
    {
        lock (_objects)
        {
            return _objects.Contains(objectId);
        }
    }

    public override string ToString() => $"{Upstream.FullName} (id {Id})";
}
