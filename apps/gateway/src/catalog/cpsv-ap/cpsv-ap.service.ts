import { Inject, Injectable } from '@nestjs/common';
import type { Quad } from 'n3';
import { CatalogService } from '@levensloop/catalog';
import type { LevensloopConfig } from '@levensloop/config';
import { SOURCE_CATALOG } from '@levensloop/sources';
import { CONFIG } from '../../config.provider';
import { buildCpsvGraph, type CpsvCatalogue } from './graph';

const refKey = (r: { agency: string; key: string; version: number }) => `${r.agency}/${r.key}@${r.version}`;

/** The published catalogue, read in three queries, as CPSV-AP quads under the gateway's public URL. */
@Injectable()
export class CpsvApService {
  constructor(
    private readonly catalog: CatalogService,
    @Inject(CONFIG) private readonly config: LevensloopConfig,
  ) {}

  async graph(): Promise<Quad[]> {
    return buildCpsvGraph(await this.published(), { publicUrl: this.config.gateway.publicUrl, sources: SOURCE_CATALOG });
  }

  /**
   * The latest published version of each life event, every published step version, and the
   * retired step versions those life events still run (retiring a step stops new life events
   * from using it, not the ones that do): nothing a life event groups is missing.
   */
  async published(): Promise<CpsvCatalogue> {
    const [agencies, steps, lifeEvents] = await Promise.all([this.catalog.listAgencies(), this.catalog.listAllStepVersions(), this.catalog.listLatestPublishedLifeEvents()]);
    const used = new Set(lifeEvents.flatMap((e) => e.nodes.map((n) => refKey(n.step))));
    return {
      agencies: agencies.map((a) => ({ code: a.code, names: a.names, ...(a.serves ? { serves: a.serves } : {}) })),
      steps: steps.filter((s) => s.status === 'published' || (s.status === 'retired' && used.has(refKey(s)))),
      lifeEvents,
    };
  }
}
