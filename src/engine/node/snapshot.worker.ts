// worker_thread entry of the recorder's snapshot pipeline (snapshot-worker.ts):
// owns the recording file and a SnapshotProcessor; hashes and writes each
// captured snapshot in the order it arrives. Every request is answered on the
// results port, then counted in the shared control array, so the recorder can
// wait for it synchronously (Atomics.wait) without an event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { errorCode, errorMessage } from '../../shared/errors';
import { SnapshotProcessor } from '../record/snapshot-processor';
import { nodeWriterOptions } from './codecs';
import { FileSink } from './recording-file';
import { Control, type SnapshotWorkerData, type SnapshotWorkerReply, type SnapshotWorkerRequest } from './snapshot-messages';

if (!parentPort) throw new Error('snapshot.worker.ts must run in a worker_thread');

const { path, fd, force, control: controlBuffer, results } = workerData as SnapshotWorkerData;
const control = new Int32Array(controlBuffer);
const sink = new FileSink(path, { fd, force });
const now = () => performance.now();
let processor: SnapshotProcessor | undefined;
let failed = false;

function handle(request: SnapshotWorkerRequest): SnapshotWorkerReply {
  if (request.type === 'start') {
    processor = new SnapshotProcessor(sink, nodeWriterOptions(request.signingKeyPem), request.header);
    return { type: 'written', bytesWritten: processor.bytesWritten };
  }
  if (!processor) throw new Error('snapshot worker: start first');
  if (request.type === 'snapshot') return { type: 'processed', snapshot: processor.process(request.capture, now) };
  processor.end(request.record);
  return { type: 'written', bytesWritten: processor.bytesWritten };
}

parentPort.on('message', (request: SnapshotWorkerRequest) => {
  // After a failure nothing more is written: the file ends at the last complete snapshot.
  if (!failed) {
    try {
      const reply = handle(request);
      // The capture buffer goes back to the recorder for reuse.
      results.postMessage(reply, reply.type === 'processed' && reply.snapshot.buffer ? [reply.snapshot.buffer] : []);
    } catch (err) {
      failed = true;
      const code = (err as Error).name === 'PrnrError' ? errorCode(err) : undefined;
      results.postMessage({ type: 'failed', code: code ?? 'RECORDING_WRITE_FAILED', message: code ? errorMessage(err) : `writing ${sink.partialPath} failed: ${errorMessage(err)}` } satisfies SnapshotWorkerReply);
    }
  }
  Atomics.add(control, Control.handled, 1);
  Atomics.notify(control, Control.handled);
});

Atomics.store(control, Control.started, 1);
Atomics.notify(control, Control.handled);
