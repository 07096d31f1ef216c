import { createBrowserRouter } from 'react-router-dom';
import { DiffPage } from '../features/diff/DiffPage';
import { LibraryPage } from '../features/library/LibraryPage';
import { LivePage } from '../features/live/LivePage';
import { RecordingPage } from '../features/recording/RecordingPage';
import { NotFoundPage } from './NotFoundPage';
import { Shell } from './Shell';
import { paths } from './share-state';

export const router = createBrowserRouter([
  {
    element: <Shell />,
    children: [
      { path: paths.library, element: <LibraryPage /> },
      { path: paths.live, element: <LivePage /> },
      { path: paths.recording, element: <RecordingPage /> },
      { path: paths.diff, element: <DiffPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
