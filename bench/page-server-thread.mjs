// The stand-in server in a thread of its own, for the time-to-ready runs: in the bench's main
// thread its answers would wait behind Playwright's handling of the browser's protocol messages
// (which a real web server never does), and only the page that makes more requests (the library's
// own script) would pay for it. The bench ends it with worker.terminate().
import { parentPort, workerData } from 'node:worker_threads';
import { startStandInServer } from '../demo/stand-ins/serve-stand-ins.mjs';

const server = startStandInServer(workerData.port);
server.ref(); // the stand-in server unrefs itself; here it is all the thread is for
server.on('listening', () => parentPort.postMessage('listening'));
