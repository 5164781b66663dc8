using StarSync.Testing;

[assembly: AssemblyFixture(typeof(TestServers))]
