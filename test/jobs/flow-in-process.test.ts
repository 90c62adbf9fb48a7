import { InProcessRunner } from '../../jobs/in-process-runner.js';
import { flowContract } from './flow.contract.js';

flowContract('in-process runner', async () => new InProcessRunner({ backoffMs: 10 }));
