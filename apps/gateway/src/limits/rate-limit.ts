import { Injectable, type DynamicModule, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import * as ipaddr from 'ipaddr.js';
import { DataSource } from 'typeorm';
import type { GatewayLimits } from '@levensloop/config';
import { RequestRateLimits } from '@levensloop/persistence';
import { ProblemException } from '../common/problem';
import type { Principal } from '../auth/principal';
import { ReservedCounts, type SharedHit } from './reserved-counts';
import { SharedThrottlerStorage } from './shared-storage';

const sharedHit = (table: RequestRateLimits): SharedHit => (name, limit, key, points) => table.hit(name, limit, key, points);

type Scope = 'address' | 'principal' | 'sms-callback' | 'email-callback' | 'payment-callback';

/**
 * The budget an address counts against: an IPv4 address (also written IPv4-mapped, ::ffff:a.b.c.d)
 * on its own; an IPv6 address by its /64 prefix, which one subscriber usually holds whole (rotating
 * addresses within it gives no fresh budget).
 */
export function addressKey(ip: string | undefined): string {
  if (!ip || !ipaddr.isValid(ip)) return ip || 'unknown';
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const prefix = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${prefix.join(':')}::/64`;
}

/** The limits, counted in PostgreSQL for every gateway replica together (SharedThrottlerStorage). */
export function rateLimitModule(limits: GatewayLimits, pseudonymKey: string): DynamicModule {
  // Global: route guards in feature modules (SmsCallbackRateLimitGuard) share the options and counters.
  return { ...throttlerModule(limits, pseudonymKey), global: true };
}

function throttlerModule(limits: GatewayLimits, pseudonymKey: string): DynamicModule {
  return ThrottlerModule.forRootAsync({
    inject: [DataSource],
    useFactory: (ds: DataSource) => ({
      storage: new SharedThrottlerStorage(new ReservedCounts(sharedHit(new RequestRateLimits(ds))), pseudonymKey),
      throttlers: [
        // blockDuration 0: no penalty beyond the window; a refused request waits until the window ends.
        { name: 'address', limit: limits.perAddress.limit, ttl: limits.perAddress.windowSeconds * 1000, blockDuration: 0 },
        { name: 'principal', limit: limits.perPrincipal.limit, ttl: limits.perPrincipal.windowSeconds * 1000, blockDuration: 0 },
        { name: 'sms-callback', limit: limits.smsCallback.limit, ttl: limits.smsCallback.windowSeconds * 1000, blockDuration: 0 },
        // The mail side's reports: a limit and a counter of their own (RATE_LIMIT_EMAIL_CALLBACK).
        { name: 'email-callback', limit: limits.emailCallback.limit, ttl: limits.emailCallback.windowSeconds * 1000, blockDuration: 0 },
        // The payment provider's webhooks (RATE_LIMIT_PAYMENT_CALLBACK).
        { name: 'payment-callback', limit: limits.paymentCallback.limit, ttl: limits.paymentCallback.windowSeconds * 1000, blockDuration: 0 },
      ],
      // X-RateLimit-* per named limit are not standard; a refusal carries Retry-After (set below).
      setHeaders: false,
    }),
  });
}

/**
 * One of the two limits as a guard of its own, so each runs at its place among the global guards:
 * the address limit before authentication (a flood of bad tokens costs no signature checks), the
 * principal limit after it (only a verified `sub` counts; a forged one cannot use up another's).
 */
abstract class ScopedThrottlerGuard extends ThrottlerGuard {
  protected abstract readonly scope: Scope;

  override async onModuleInit() {
    await super.onModuleInit();
    this.throttlers = this.throttlers.filter((t) => t.name === this.scope);
  }

  /** req.ip is the client's address (behind a proxy: as GATEWAY_TRUST_PROXY lets Express read it), IPv6 per /64. */
  protected override async getTracker(req: Record<string, any>): Promise<string> {
    return addressKey((req as Request).ip);
  }

  /** One budget per tracker across all routes (the library's default is one per route). */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    const who =
      this.scope === 'principal' ? "this token's subject" : this.scope === 'sms-callback' ? 'this SMS gateway address' : this.scope === 'email-callback' ? 'this mail server address' : this.scope === 'payment-callback' ? 'this payment provider address' : 'this client address';
    throw new ProblemException(429, `Too many requests from ${who}: at most ${detail.limit} per ${detail.ttl / 1000} s. Try again in ${retryAfter} s.`, {
      slug: 'rate-limited',
      title: 'Too many requests',
      extensions: { limit: detail.limit, windowSeconds: detail.ttl / 1000, retryAfter },
    });
  }
}

@Injectable()
export class AddressRateLimitGuard extends ScopedThrottlerGuard {
  protected readonly scope = 'address';
}

@Injectable()
export class PrincipalRateLimitGuard extends ScopedThrottlerGuard {
  protected readonly scope = 'principal';

  /** Public routes (no principal) are limited by address alone. */
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return !context.switchToHttp().getRequest<Request & { principal?: Principal }>().principal;
  }

  protected override async getTracker(req: Record<string, any>): Promise<string> {
    return (req as { principal: Principal }).principal.sub;
  }
}

/**
 * SMS delivery reports: a budget of their own per address (RATE_LIMIT_SMS_CALLBACK) instead of the
 * address limit, which an SMS provider reporting on every message would soon use up. Used with
 * `@SkipThrottle({ address: true })` on the route.
 */
@Injectable()
export class SmsCallbackRateLimitGuard extends ScopedThrottlerGuard {
  protected readonly scope = 'sms-callback';
}

/** The mail side's delivery reports (bounces): a budget of their own per address (RATE_LIMIT_EMAIL_CALLBACK). */
@Injectable()
export class EmailCallbackRateLimitGuard extends ScopedThrottlerGuard {
  protected readonly scope = 'email-callback';
}

/** The payment provider's webhooks: a budget of their own per address (RATE_LIMIT_PAYMENT_CALLBACK). */
@Injectable()
export class PaymentCallbackRateLimitGuard extends ScopedThrottlerGuard {
  protected readonly scope = 'payment-callback';
}
