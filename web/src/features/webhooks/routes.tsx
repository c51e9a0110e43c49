import type { RouteObject } from 'react-router';
import { lazyPage } from '../../app/lazy-page.ts';

export const webhookRoutes: RouteObject[] = [
  { path: 'webhooks', lazy: lazyPage(() => import('./WebhooksPage.tsx'), 'WebhooksPage') },
  { path: 'webhooks/:webhookId', lazy: lazyPage(() => import('./WebhookPage.tsx'), 'WebhookPage') },
];
