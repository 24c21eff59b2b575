import { CancelledError, PagingError } from '../../../provider/core/errors';
import { rootFailure } from '../../../provider/core/http/scope';

describe('rootFailure: the reason a failed lookup gives', () => {
  const paging = new PagingError('page 1: the listing grew past its bound', { cloud: 'toy', operation: 'List' });

  it('is the failure that caused a cancellation, never the cancellation', () => {
    expect(rootFailure(new CancelledError('toy List page 2', paging))).toBe(paging);
  });

  it('follows cancellations of cancellations to the first failure', () => {
    expect(rootFailure(new CancelledError('toy List page 3', new CancelledError('toy List page 2', paging)))).toBe(paging);
  });

  it('leaves any other failure, and a cancellation without a cause, as it is', () => {
    expect(rootFailure(paging)).toBe(paging);
    const bare = new CancelledError('toy List', undefined);
    expect(rootFailure(bare)).toBe(bare);
  });
});
