import { ConsoleAssetsController } from './assets/assets.controller';
import { ConsoleErrorFilter } from './http/console-error.filter';
import { NoSuchPageController } from './pages/no-such-page.controller';
import { ConsolePageInterceptor } from './http/console-page.interceptor';
import { OverviewController } from './pages/overview.controller';
import { OverviewFigures } from './pages/overview-figures';
import { PersonController } from './pages/person.controller';
import { RegisterChoices } from './pages/register-choices';
import { RequestsController } from './pages/requests.controller';
import { ReportsController } from './pages/reports.controller';
import { IntegrityPageController } from './pages/integrity.controller';
import { ConsoleGuard } from './session/console.guard';
import { ConsoleSessions } from './session/console-sessions';
import { SignInController } from './session/sign-in.controller';
import { SignInThrottle } from './session/sign-in-throttle';

/**
 * The responsible official's console (issue 8): server-rendered pages under /console that reuse the API's
 * services in-process. Registered in the AppModule beside the API, whose providers the pages use.
 */
export const CONSOLE = {
  controllers: [ConsoleAssetsController, SignInController, OverviewController, PersonController, RequestsController, ReportsController,
    IntegrityPageController, NoSuchPageController],
  providers: [RegisterChoices, OverviewFigures, ConsoleSessions, SignInThrottle, ConsoleGuard, ConsoleErrorFilter, ConsolePageInterceptor],
} as const;
