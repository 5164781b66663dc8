namespace StarSync.ServiceDefaults;

/// <summary>
/// An <c>amqp://user:password@host:port/vhost</c> connection string taken apart. <see cref="ToString"/> never
/// shows the password, so the address can be logged.
/// </summary>
public sealed record RabbitMqAddress(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    public static RabbitMqAddress Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"The setting ConnectionStrings:{StarSyncBus.ConnectionStringName} (environment variable " +
                $"ConnectionStrings__{StarSyncBus.ConnectionStringName}) is required, e.g. amqp://user:password@localhost:5672/");
        }
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "rabbitmq"))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{StarSyncBus.ConnectionStringName} must be an amqp:// URI (amqp://user:password@host:port/vhost).");
        }
        var user = "guest";
        var password = "guest";
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        }
        var vhost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqAddress(uri.Host, (ushort)(uri.IsDefaultPort || uri.Port <= 0 ? 5672 : uri.Port),
            vhost.Length == 0 ? "/" : vhost, user, password);
    }

    public override string ToString() => $"amqp://{Username}@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}";
}
