// What the lesson panel shows. The labs work will produce these from lab files; today the app
// builds a welcome lesson from the i18n dictionaries.
import type { MessageKey } from './i18n/en.js';

export interface LessonStep {
  /** what the step is about, already translated */
  text: string;
  /** a command the learner can paste into the terminal */
  command?: string;
}

export interface Lesson {
  title: string;
  paragraphs: string[];
  stepsTitle?: string;
  steps: LessonStep[];
}

export function welcomeLesson(t: (key: MessageKey) => string): Lesson {
  return {
    title: t('lesson.welcome.title'),
    paragraphs: [t('lesson.welcome.p1'), t('lesson.welcome.p2')],
    stepsTitle: t('lesson.welcome.try'),
    steps: [
      { text: t('lesson.cmd.nodes'), command: 'kubectl get nodes' },
      { text: t('lesson.cmd.run'), command: 'kubectl run web --image=nginx' },
      { text: t('lesson.cmd.pods'), command: 'kubectl get pods -o wide' },
      { text: t('lesson.cmd.deploy'), command: 'kubectl create deployment hello --image=nginx --replicas=3' },
      { text: t('lesson.cmd.expose'), command: 'kubectl expose deployment hello --port=80' },
    ],
  };
}
