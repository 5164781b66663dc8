namespace StarSync.Contracts;

/// <summary>
/// What a GitWorker does when a ref it is about to push has a OneDev build spec (<c>.onedev-buildspec.yml</c>) at
/// its tip. OneDev runs the jobs of a pushed build spec whose triggers match, so pushing one runs the starred
/// repository's code on the user's server or agents.
/// </summary>
public enum BuildSpecPolicy
{
    /// <summary>Push nothing; the sync fails permanently, naming the refs and the file.</summary>
    Refuse = 0,

    /// <summary>Push only while OneDev's job executors certainly exclude the mirror's project; otherwise refuse.</summary>
    Isolated = 1,

    /// <summary>Push it like any other file: the user trusts this repository's jobs.</summary>
    Allow = 2,
}
