using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Millrace.Log.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Millrace.Log.Benchmarks.AppendBenchmarks).Assembly).Run(args);
