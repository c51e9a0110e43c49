/** The Hono environment shared by every route: request id, the authenticated actor, and the services' deps. */
import type { Context } from 'hono';
import type { ApiKeyActor, ServiceContext, ServiceDeps, UserActor } from '../services/context.ts';

export interface AppEnv {
  Variables: {
    requestId: string;
    deps: ServiceDeps;
    user: UserActor;
  };
}

export function userContext(c: Context<AppEnv>): ServiceContext<UserActor> {
  return { ...c.var.deps, actor: c.var.user };
}

export function keyContext(c: Context<AppEnv>, actor: ApiKeyActor): ServiceContext<ApiKeyActor> {
  return { ...c.var.deps, actor };
}
