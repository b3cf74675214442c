import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';

import type { LabelListDto } from '@app/api/models';
import { LabelsStore } from './labels.store';
import { TeamToolsApiService } from './team-tools-api.service';

describe('LabelsStore', () => {
  let answers: Subject<LabelListDto>[];
  let store: LabelsStore;

  beforeEach(() => {
    answers = [];
    const api = {
      labels: () => {
        const answer = new Subject<LabelListDto>();
        answers.push(answer);
        return answer;
      },
    };
    TestBed.configureTestingModule({ providers: [{ provide: TeamToolsApiService, useValue: api }] });
    store = TestBed.inject(LabelsStore);
  });

  it('loads the labels and whether the caller manages them; a load in flight absorbs another', () => {
    store.load();
    store.load();
    expect(answers).toHaveLength(1);
    const pago = { id: 'l1', name: 'Pago', color: '#43a047', position: 1 };
    answers[0].next({ labels: [pago], can_manage: true });
    answers[0].complete();
    expect(store.labels()).toEqual([pago]);
    expect(store.canManage()).toBe(true);
    expect(store.byId().get('l1')).toBe(pago);
    store.load();
    expect(answers).toHaveLength(2);
  });

  it('reports a failed load in Spanish and keeps working', () => {
    store.load();
    answers[0].error(new HttpErrorResponse({ status: 403, error: { error: 'Solo el equipo de soporte puede ver las etiquetas.', code: 'forbidden' } }));
    expect(store.error()).toBe('Solo el equipo de soporte puede ver las etiquetas.');
    expect(store.loaded()).toBe(true);
  });
});
