// One sixth of the widget model (see widget-model.ts): the adapters at index % 6 === 4.
import { describeWidgetModel } from './widget-model.js';

describeWidgetModel(4);
