using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Millrace.Rules.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Millrace.Rules.Benchmarks.RulesHotPathBenchmarks).Assembly).Run(args);
