import { readWhileInFlight } from '../../../provider/core/http/pool';
import { runScript } from '../../helpers/child';

describe('readWhileInFlight', () => {
  it('leaves no unhandled rejection when the request in flight fails while the page is read (the process would end)', async () => {
    const pool = require.resolve('../../../dist/provider/core/http/pool.js');
    const script = `
      const { readWhileInFlight } = require(${JSON.stringify(pool)});
      process.on('unhandledRejection', () => { console.log(JSON.stringify({ unhandled: true })); process.exit(0); });
      (async () => {
        const inFlight = new Promise((_resolve, reject) => setTimeout(() => reject(new Error('cancelled')), 0));
        await readWhileInFlight(inFlight, undefined, () => { const end = Date.now() + 20; while (Date.now() < end); return 1; });
        await new Promise((resolve) => setTimeout(resolve, 20));
        await inFlight.catch(() => undefined);
        console.log(JSON.stringify({ unhandled: false }));
      })();`;
    await expect(runScript<{ unhandled: boolean }>(script, [], {})).resolves.toEqual({ unhandled: false });
  });

  it('still hands the failure to whoever awaits the request later', async () => {
    const inFlight = Promise.reject(new Error('cancelled'));
    await expect(readWhileInFlight(inFlight, undefined, () => 1)).resolves.toBe(1);
    await expect(inFlight).rejects.toThrow('cancelled');
  });
});
