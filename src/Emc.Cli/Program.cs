using System.CommandLine;
using Emc.Cli;
using Emc.Cli.Commands;

var root = new RootCommand("emc: compile ONNX models to K210 kmodel v3, inspect them and run them on the host simulator.");
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(CompileCommand.Create());
root.Subcommands.Add(EvalCommand.Create());

return CliRunner.Run(root, args);
