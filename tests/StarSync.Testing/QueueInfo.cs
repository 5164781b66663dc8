namespace StarSync.Testing;

/// <summary>
/// One queue as the RabbitMQ management API reports it. <see cref="Messages"/> (ready plus unacknowledged) comes
/// from statistics that lag: null until the node has published any for the queue (up to ~10 s for a quorum queue
/// after a restart), then refreshed every 500 ms.
/// </summary>
public sealed record QueueInfo(string Name, int? Messages, int Consumers, string Type);
