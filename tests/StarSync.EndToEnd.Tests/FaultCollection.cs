namespace StarSync.EndToEnd.Tests;

/// <summary>
/// Fault tests stop the assembly's shared RabbitMQ and PostgreSQL and kill service processes. xunit runs a
/// collection with parallelization disabled on its own, after every parallel collection has finished, so no other
/// test sees those faults.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "Faults";
}
