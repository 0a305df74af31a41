/**
 * Builds every input of a bench run into .bench/ (before the cases start, so no case's time or
 * memory includes generating them). usage: node --import tsx bench/build-inputs.ts [--quick]
 */
import { performance } from 'node:perf_hooks';
import { benchConfig } from './case';
import { benchProtoFile, datasetFile, descriptorFieldsFile, nodesFile, streamFile } from './inputs';
import { formatBytes } from './stats';

const config = benchConfig(process.argv.includes('--quick'));
const t0 = performance.now();
const built = [
  datasetFile(config.bigMessageBytes),
  datasetFile(config.rawBytes, 3),
  datasetFile(config.rawBytes * 10, 4),
  streamFile(config.streamMessages, config.streamBytes),
  nodesFile(config.uiNodes),
  nodesFile(config.expandNodes),
  datasetFile(config.openFileBytes, 7),
  descriptorFieldsFile(config.hostileBytes),
];
benchProtoFile();
process.stdout.write(
  `inputs: ${built.map((f) => `${f.path.split('/').pop()} (${formatBytes(f.bytes)})`).join(', ')}; ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
);
