namespace StarSync.GitWorker.Mirroring;

/// <summary>A branch whose tip differs between the mirror (<paramref name="OldId"/>) and GitHub (<paramref name="NewId"/>).</summary>
internal sealed record TipMove(string Ref, string OldId, string NewId);
