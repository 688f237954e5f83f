using BenchmarkDotNet.Running;

// Run one suite: dotnet run -c Release --project benchmarks/Reyn.Benchmarks -- --filter '*EventLog*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
