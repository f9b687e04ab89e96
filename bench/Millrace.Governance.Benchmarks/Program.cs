using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Millrace.Governance.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Millrace.Governance.Benchmarks.AdmissionBenchmarks).Assembly).Run(args);
