import { UseFilters, UseGuards, UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ConsoleRoute } from '../../auth/roles';
import { ConsoleGuard } from '../session/console.guard';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsolePageInterceptor } from './console-page.interceptor';

/**
 * A controller of console pages: out of the API's OpenAPI document, signed in by the console's session instead of
 * an API key, its errors shown as pages, its answers HTML with the console's headers.
 */
export function ConsolePages(): ClassDecorator {
  return applyDecorators(
    ApiExcludeController(),
    ConsoleRoute(),
    UseGuards(ConsoleGuard),
    UseFilters(ConsoleErrorFilter),
    UseInterceptors(ConsolePageInterceptor),
  );
}
