import { All, Controller } from '@nestjs/common';
import { Allow } from '../../auth/roles';
import { ConsolePages } from '../http/console-pages.decorator';
import { NoSuchPage } from '../http/no-such-page';

/**
 * Every address under /console that no other route takes (the router prefers any fixed path to this wildcard). Like
 * any page it needs a session first, so that it tells no one which pages exist.
 */
@ConsolePages()
@Allow(['official', 'auditor'])
@Controller('console')
export class NoSuchPageController {
  @All('*')
  notFound(): never {
    throw new NoSuchPage();
  }
}
