namespace StarSync.ServiceDefaults;

/// <summary>
/// A failure that no retry can mend (credentials refused, a name the policy rejects). The global retry policy
/// ignores it, so the message faults at once.
/// </summary>
public class PermanentFailureException(string message, Exception? inner = null) : Exception(message, inner);
