namespace StarSync.Secrets;

/// <summary>Sealed data could not be opened. The message names what it was for, never a key or a plaintext.</summary>
public sealed class SecretBoxException : Exception
{
    public SecretBoxException()
        : base("Sealed data could not be opened.")
    {
    }

    public SecretBoxException(string message)
        : base(message)
    {
    }

    public SecretBoxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
