import { ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ProblemException } from '../common/problem';
import { serverDidNotTakeIt, updateProblem } from './workflow-errors';

/** A gRPC service error as @grpc/grpc-js raises it: an Error with a code, details and metadata. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

describe('an update the server did not take', () => {
  it('is one answered UNAVAILABLE, ABORTED or RESOURCE_EXHAUSTED, also wrapped in a ServiceError', () => {
    for (const code of [14, 10, 8]) {
      expect(serverDidNotTakeIt(new ServiceError('Workflow Update failed', { cause: grpcError(code, 'not now') }))).toBe(true);
      expect(serverDidNotTakeIt(grpcError(code, 'not now'))).toBe(true);
    }
  });

  it('is not a refusal, an invalid argument or an error without a gRPC code', () => {
    expect(serverDidNotTakeIt(new ServiceError('Workflow Update failed', { cause: grpcError(3, 'invalid argument') }))).toBe(false);
    expect(serverDidNotTakeIt(new WorkflowUpdateFailedError('refused', new Error('no')))).toBe(false);
    expect(serverDidNotTakeIt(new Error('boom'))).toBe(false);
  });

  it('becomes a 503 that asks to try again, not a 500', () => {
    const problem = updateProblem(new ServiceError('Workflow Update failed', { cause: grpcError(14, 'workflow busy') }));
    expect(problem).toBeInstanceOf(ProblemException);
    expect((problem as ProblemException).getStatus()).toBe(503);
  });

  it('a refusal by the journey stays a 409 with its reason', () => {
    const problem = updateProblem(new WorkflowUpdateFailedError('Workflow Update failed', Object.assign(new Error('The journey is already cancelled.'))));
    expect((problem as ProblemException).getStatus()).toBe(409);
  });
});
