import { Emulator, EmulatorOptions } from '../../provider/emulator/server';
import { sharedRequests } from '../../provider/core/share';

/**
 * An emulator started for the enclosing file (or describe block), with its faults and request counts and the
 * process-wide request sharing reset before each test.
 */
export function useEmulator(options?: EmulatorOptions): Emulator {
  const emulator = new Emulator(options);
  beforeAll(() => emulator.start());
  afterAll(() => emulator.stop());
  beforeEach(() => {
    emulator.clearFaults();
    emulator.resetCounts();
    sharedRequests.clear();
  });
  return emulator;
}
