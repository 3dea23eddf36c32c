/**
 * A workflow interceptor module for replay tests: hands every activity, local activity and timer
 * the workflow schedules to the `commands` sink, arguments as the JSON the payload converter writes.
 * Bundled into the workflow code (so only @temporalio/workflow here).
 */
import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export type RecordedCommand = { kind: 'activity' | 'local'; type: string; args: string[] } | { kind: 'timer'; ms: number };

export interface CommandSinks extends Sinks {
  commands: { add(command: RecordedCommand): void };
}

const { commands } = proxySinks<CommandSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleActivity(input, next) {
        commands.add({ kind: 'activity', type: input.activityType, args: input.args.map((arg) => JSON.stringify(arg)) });
        return next(input);
      },
      scheduleLocalActivity(input, next) {
        commands.add({ kind: 'local', type: input.activityType, args: input.args.map((arg) => JSON.stringify(arg)) });
        return next(input);
      },
      startTimer(input, next) {
        commands.add({ kind: 'timer', ms: input.durationMs });
        return next(input);
      },
    },
  ],
});
