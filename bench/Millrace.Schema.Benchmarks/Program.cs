using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Millrace.Schema.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Millrace.Schema.Benchmarks.ProductionCompletedBenchmarks).Assembly).Run(args);
