import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { renameActiveSpan } from '@levensloop/telemetry';

/**
 * Names the request's server span after its route (`POST /journeys`, `GET /journeys/:id`), as
 * OpenTelemetry's HTTP conventions have it: the http instrumentation knows only the method.
 */
@Injectable()
export class RouteSpanInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request>();
      const route = (req.route as { path?: string } | undefined)?.path;
      if (route) renameActiveSpan(`${req.method} ${route}`, { 'http.route': route });
    }
    return next.handle();
  }
}
