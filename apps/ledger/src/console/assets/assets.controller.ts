import { readFileSync } from 'node:fs';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { REPORT_FONT_FILES } from '@derbes/reports';
import { ConsoleRoute } from '../../auth/roles';
import { CHARTS_SCRIPT } from './charts-script';
import { CONSOLE_CSS } from './console-css';

const DAY = 'public, max-age=86400';
const read = (path: string) => readFileSync(path);
/** A ledger's page, in the console's blue. */
const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="2" y="1" width="12" height="14" rx="2" fill="#0b4f9c"/>' +
  '<path d="M5 5h6M5 8h6M5 11h4" stroke="#fff" stroke-width="1.5"/></svg>';

/**
 * The console's assets, all served by the ledger from the repository and node_modules (no CDN): the style sheet,
 * DejaVu Sans (the fonts the PDF reports embed too), uPlot and the script that draws the charts. They hold no
 * data, so they need no session.
 */
@ApiExcludeController()
@ConsoleRoute()
@Controller('console/assets')
export class ConsoleAssetsController {
  private readonly font = read(REPORT_FONT_FILES.regular);
  private readonly boldFont = read(REPORT_FONT_FILES.bold);
  private readonly uplot = read(require.resolve('uplot/dist/uPlot.iife.min.js'));
  private readonly uplotCss = read(require.resolve('uplot/dist/uPlot.min.css'));

  @Get('console.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', DAY)
  css(): string {
    return CONSOLE_CSS;
  }

  @Get('fonts/DejaVuSans.ttf')
  @Header('content-type', 'font/ttf')
  @Header('cache-control', DAY)
  regular(): Buffer {
    return this.font;
  }

  @Get('fonts/DejaVuSans-Bold.ttf')
  @Header('content-type', 'font/ttf')
  @Header('cache-control', DAY)
  bold(): Buffer {
    return this.boldFont;
  }

  @Get('uplot.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', DAY)
  uplotScript(): Buffer {
    return this.uplot;
  }

  @Get('uplot.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', DAY)
  uplotStyles(): Buffer {
    return this.uplotCss;
  }

  @Get('favicon.svg')
  @Header('content-type', 'image/svg+xml')
  @Header('cache-control', DAY)
  icon(): string {
    return FAVICON;
  }

  @Get('charts.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', DAY)
  charts(): string {
    return CHARTS_SCRIPT;
  }
}
