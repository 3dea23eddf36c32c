import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogService } from '@levensloop/catalog';
import { CatalogController } from './catalog.controller';

@Module({
  controllers: [CatalogController],
  providers: [{ provide: CatalogService, useFactory: (db: DataSource) => new CatalogService(db), inject: [DataSource] }],
  exports: [CatalogService],
})
export class CatalogModule {}
