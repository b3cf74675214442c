import { stopServer } from './e2e-server';

export default function globalTeardown(): void {
  stopServer();
}
