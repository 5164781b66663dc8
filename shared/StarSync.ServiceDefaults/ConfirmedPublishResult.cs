namespace StarSync.ServiceDefaults;

/// <summary>How a confirmed publish ended; anything but <see cref="Confirmed"/> means RabbitMQ does not have the message.</summary>
public enum ConfirmedPublishResult
{
    Confirmed,
    BusUnhealthy,
    TimedOut,
    Failed,
}
