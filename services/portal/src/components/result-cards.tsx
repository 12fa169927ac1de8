// Search results as cards, two a row on wide screens: the public catalogue's courses, the published
// ideas and the ideas a company may adopt read alike (a title, a text, then what the page adds).
import { Card, CardBody, CardText, CardTitle } from "design-react-kit";
import type { ReactNode } from "react";

export function CardGrid({ testId, children }: { testId: string; children: ReactNode }) {
  return (
    <ul className="list-unstyled row" data-testid={testId}>
      {children}
    </ul>
  );
}

export function ResultCard(props: {
  title: ReactNode;
  text: ReactNode;
  dataId?: string;
  children?: ReactNode;
}) {
  const { title, text, dataId, children } = props;
  return (
    <li className="col-md-6 mb-3" data-id={dataId}>
      <Card rounded shadow="sm" border className="h-100">
        <CardBody className="p-4">
          <CardTitle tag="h3" className="h5">
            {title}
          </CardTitle>
          <CardText>{text}</CardText>
          {children}
        </CardBody>
      </Card>
    </li>
  );
}
