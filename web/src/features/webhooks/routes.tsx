import type { RouteObject } from 'react-router';
import { PageHeader } from '../../ui/Page.tsx';

export const webhookRoutes: RouteObject[] = [{ path: 'webhooks', element: <PageHeader title="Webhooks" /> }];
