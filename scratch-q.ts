import { Workspace } from './src/engine/workspace/workspace';
(async () => { const ws = await Workspace.open(process.argv[2], { readOnly: true });
 console.log(await ws.all(process.argv[3])); await ws.close(); })();
