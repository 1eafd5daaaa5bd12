// One sixth of the widget model (see widget-model.ts): the adapters at index % 6 === 2.
import { describeWidgetModel } from './widget-model.js';

describeWidgetModel(2);
