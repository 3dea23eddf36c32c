import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import type { LevensloopConfig } from '@levensloop/config';
import { documentStoreFor, EvidencePreviews, TaskDocuments } from '@levensloop/persistence';
import { CONFIG } from '../config.provider';
import { DOCUMENT_STORE, DocumentsService } from './documents.service';
import { DocumentsController, JourneyDocumentsController } from './documents.controller';
import { EvidenceController } from './evidence/evidence.controller';
import { EvidenceService } from './evidence/evidence.service';

/** Documents on tasks: uploads (multipart, in memory, capped at DOCUMENT_MAX_BYTES), the journey's list and downloads. */
@Module({
  imports: [
    // One file of at most the hard cap, a handful of fields; the content check and the step's own cap follow in the service.
    MulterModule.registerAsync({
      useFactory: (config: LevensloopConfig) => ({ limits: { fileSize: config.documents.maxBytes, files: 1, fields: 4, parts: 6, fieldSize: 1024 } }),
      inject: [CONFIG],
    }),
  ],
  controllers: [DocumentsController, JourneyDocumentsController, EvidenceController],
  providers: [
    { provide: TaskDocuments, useFactory: (ds: DataSource) => new TaskDocuments(ds), inject: [DataSource] },
    { provide: DOCUMENT_STORE, useFactory: (ds: DataSource, config: LevensloopConfig) => documentStoreFor(ds, config.documents), inject: [DataSource, CONFIG] },
    DocumentsService,
    // Evidence from authentic sources, previewed before use (held encrypted under the document keys).
    { provide: EvidencePreviews, useFactory: (ds: DataSource, config: LevensloopConfig) => new EvidencePreviews(ds, config.documents.keys), inject: [DataSource, CONFIG] },
    EvidenceService,
  ],
  exports: [DocumentsService],
})
export class DocumentsModule {}
