import type { RouteObject } from 'react-router';
import { lazyPage } from '../../app/lazy-page.ts';

export const eventRoutes: RouteObject[] = [{ path: 'events', lazy: lazyPage(() => import('./EventsPage.tsx'), 'EventsPage') }];
