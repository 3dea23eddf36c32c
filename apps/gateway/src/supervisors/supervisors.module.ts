import { Module } from '@nestjs/common';
import { SupervisorsController } from './supervisors.controller';
import { SupervisorsService } from './supervisors.service';

@Module({ controllers: [SupervisorsController], providers: [SupervisorsService] })
export class SupervisorsModule {}
