using BenchmarkDotNet.Running;

// Each benchmark class states its target in a comment; the figures go into the issue notes.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
