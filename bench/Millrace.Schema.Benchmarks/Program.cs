using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Millrace.Schema.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/Millrace.Schema.Benchmarks -- --cpu-time   (events/s per core on the thread CPU clock)
if (args is ["--cpu-time"]) Millrace.Schema.Benchmarks.CpuTimeRun.Run();
else BenchmarkSwitcher.FromAssembly(typeof(Millrace.Schema.Benchmarks.ProductionCompletedBenchmarks).Assembly).Run(args);
