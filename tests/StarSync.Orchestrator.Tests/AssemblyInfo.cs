using StarSync.Testing;

// One private PostgreSQL and one private RabbitMQ for this test assembly; each test class makes its own
// database and virtual host on them.
[assembly: AssemblyFixture(typeof(TestServers))]
