namespace StarSync.GitWorker.Mirroring;

/// <summary>
/// A mirror tip the push would lose, kept under <paramref name="ArchiveRef"/> (see <see cref="GitWorker.ArchiveRef"/>).
/// <paramref name="Reason"/> is one of <see cref="MirrorPlanner.DeletedBranch"/>, <see cref="MirrorPlanner.DeletedTag"/>,
/// <see cref="MirrorPlanner.MovedTag"/> and <see cref="MirrorPlanner.ForcePushedBranch"/>.
/// </summary>
internal sealed record ArchivedTip(string Ref, string ObjectId, string ArchiveRef, string Reason);
