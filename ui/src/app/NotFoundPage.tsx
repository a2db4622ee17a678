import type { ReactNode } from 'react';
import { Link } from './router';

export function NotFoundPage(): ReactNode {
  return (
    <main className="page-message">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Back to your projects</Link>
      </p>
    </main>
  );
}
