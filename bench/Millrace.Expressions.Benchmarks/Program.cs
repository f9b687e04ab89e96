using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Millrace.Expressions.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Millrace.Expressions.Benchmarks.ExpressionBenchmarks).Assembly).Run(args);
