package sqlstore

import (
	"context"
	"time"

	"portico"
)

// WeeklyReportService implements portico.WeeklyReportService.
type WeeklyReportService DB

func (db *DB) weeklyReportService() portico.WeeklyReportService { return (*WeeklyReportService)(db) }

func (s *WeeklyReportService) SendWeeklyReports(ctx context.Context) (int, error) { return 0, errTODO }

func (s *WeeklyReportService) BuildWeeklyReport(ctx context.Context, contactID int64, weekStart time.Time) (*portico.WeeklyReport, error) {
	return nil, errTODO
}

func (s *WeeklyReportService) SetWeeklyReport(ctx context.Context, contactID int64, on bool) error {
	return errTODO
}

func (s *WeeklyReportService) Unsubscribe(ctx context.Context, token string) (*portico.Contact, error) {
	return nil, errTODO
}
