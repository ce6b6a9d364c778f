using System.Runtime.CompilerServices;

// Unit tests check the simulator's kernels (pooling, layout, CPU steps) directly against hand-computed values.
[assembly: InternalsVisibleTo("Emc.Kmodel.Tests")]
