using Reyn.Cli;

return await ReynCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
